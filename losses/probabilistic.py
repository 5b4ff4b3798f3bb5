"""Probabilistic losses of the classification family page group (KL, Poisson, Gaussian, soft margins).
SPECS lists its LossSpecs in page order (filled in by its own issue)."""
SPECS = ()
