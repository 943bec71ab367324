"""Statistics: effect sizes, tests and confidence intervals on plain arrays."""
