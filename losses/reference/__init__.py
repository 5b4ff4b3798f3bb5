"""NumPy step-by-step implementations, one module per family. Each returns (value, [Step, ...])."""
