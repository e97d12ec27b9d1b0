"""The planner's parts: memory formulas, the choice of plans, and the sentences that explain them."""
