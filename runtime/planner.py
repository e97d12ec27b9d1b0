"""plan(hardware, model, prefs) -> PlanResult: how to run a model on this machine, best first.

The implementation lives in runtime.planning (memory formulas, choice, sentences); this module
is the stable import path the Engine, the window and the command line use.
"""
from runtime.planning.choose import PlanPreferences, PlanResult, plan

__all__ = ["plan", "PlanPreferences", "PlanResult"]
