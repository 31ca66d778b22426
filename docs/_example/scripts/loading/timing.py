"""Measure how much of each training step is spent waiting for the next batch."""

import time
from collections.abc import Iterable

import torch
from torch import nn


def wait_share(
    loader: Iterable, model: nn.Module, steps: int = 60, warmup: int = 10
) -> tuple[float, float]:
    """Train for warmup + steps batches; return (share of the time spent waiting, s per step)."""
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    waited = computed = 0.0
    batches = iter(loader)
    for step in range(warmup + steps):
        start = time.perf_counter()
        x, y = next(batches)
        x, y = x.to(device), y.to(device)
        fetched = time.perf_counter()
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()  # GPU work is asynchronous: wait before reading the clock
        done = time.perf_counter()
        if step >= warmup:
            waited += fetched - start
            computed += done - fetched
    return waited / (waited + computed), (waited + computed) / steps
