"""The demo organisation of ``hoshin demo`` and ``make run``: a mid-size pump maker.

``pump_maker`` is what its plan says (vision, units, people, objectives, actions, in dates
relative to the day it is written on); ``plan`` builds the plan from it around that day.
"""
