"""Classify corrupted MNIST digits: the running example of the DTU MLOps handbook."""
