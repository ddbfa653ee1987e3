"""How hoshin runs: processes, threads, database sessions, transactions and commits.

Everything here is infrastructure that the use cases (``hoshin.service``) never manage
themselves; the routes (``hoshin.api``), the pages (``hoshin.web``) and the commands
(``hoshin.cli``) get their sessions from here, and here they are committed.

- ``engine``: engines and sessions (SQLite's WAL and write lock, PostgreSQL's autocommit
  reads); ``turns``: SQLite's writers one at a time; ``sessions``: opening the database for
  a command or a process, a request's session and its commit, the database's refusals as
  hoshin's errors;
- ``one_thread``: an API request in one thread hand-off; ``admission``: how many requests a
  process lets in at once; ``batches``: a thread that takes work in batches, used by
  ``group_commit`` (check-ins written together) and ``lookups`` (the hot reads' queries);
- ``workers``: ``hoshin serve --workers N``; ``proxies``: which proxies it believes.
- ``notifier``: ``hoshin worker``, the reminder scheduler's passes and the outbox's
  delivery (``delivery``: one e-mail or webhook call).

docs/operations.md says how these serve a request.
"""
