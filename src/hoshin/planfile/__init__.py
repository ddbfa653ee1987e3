"""The plan file (YAML or JSON, format 1) <-> domain objects, with line numbers for errors."""

from hoshin.planfile.reader import FileProblem, PlanFileError, parse_plan, read_plan
from hoshin.planfile.writer import dump_plan, plan_to_data

__all__ = ["FileProblem", "PlanFileError", "dump_plan", "parse_plan", "plan_to_data", "read_plan"]
