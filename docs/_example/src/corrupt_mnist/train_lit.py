"""Train the classifier with PyTorch Lightning: the same model, the Trainer runs the loop."""

import logging
from pathlib import Path

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from omegaconf import DictConfig
from torch.nn import functional as F
from torch.utils.data import DataLoader, random_split

from corrupt_mnist.data import load_split
from corrupt_mnist.model import MnistCNN

logger = logging.getLogger(__name__)

Batch = tuple[torch.Tensor, torch.Tensor]


class LitMnistCNN(L.LightningModule):
    """Training, validation and test steps around the plain MnistCNN, which stays in model.py."""

    def __init__(self, channels: int = 32, dropout: float = 0.25, lr: float = 1e-3) -> None:
        """Record the arguments in every checkpoint, so load_from_checkpoint can rebuild it."""
        super().__init__()
        self.save_hyperparameters()
        self.model = MnistCNN(channels=channels, dropout=dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """One logit per digit class, as MnistCNN gives them."""
        return self.model(x)

    def training_step(self, batch: Batch, batch_idx: int) -> torch.Tensor:
        """Return the loss; the Trainer does the backward pass and the optimiser step."""
        images, targets = batch
        loss = F.cross_entropy(self(images), targets)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch: Batch, batch_idx: int) -> None:
        """Log loss and accuracy; sync_dist averages them over all processes under DDP."""
        images, targets = batch
        logits = self(images)
        self.log("val_loss", F.cross_entropy(logits, targets), prog_bar=True, sync_dist=True)
        self.log("val_acc", accuracy(logits, targets), sync_dist=True)

    def test_step(self, batch: Batch, batch_idx: int) -> None:
        """Log the test accuracy, averaged over the shards that each process saw."""
        images, targets = batch
        self.log("test_acc", accuracy(self(images), targets), sync_dist=True)

    def configure_optimizers(self) -> torch.optim.Optimizer:
        """The same optimiser as the plain training loop in train.py."""
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The share of the batch whose highest logit is the right digit."""
    return (logits.argmax(dim=1) == targets).float().mean()


def make_loaders(cfg: DictConfig) -> tuple[DataLoader, DataLoader, DataLoader]:
    """Split the training data 90/10 into training and validation; the test set stays apart."""
    processed = Path(cfg.paths.processed)
    split = torch.Generator().manual_seed(cfg.seed)  # the same validation images in every run
    train_set, val_set = random_split(load_split(processed, "train"), [0.9, 0.1], generator=split)
    batch_size = cfg.training.batch_size
    return (
        DataLoader(train_set, batch_size=batch_size, shuffle=True),
        DataLoader(val_set, batch_size=batch_size),
        DataLoader(load_split(processed, "test"), batch_size=batch_size),
    )


def train_lit(cfg: DictConfig) -> L.Trainer:
    """Fit and test LitMnistCNN as cfg describes; save the plain weights where train.py does."""
    L.seed_everything(cfg.seed, workers=True)
    lit = LitMnistCNN(channels=cfg.model.channels, dropout=cfg.model.dropout, lr=cfg.training.lr)
    # [trainer]
    checkpoint = ModelCheckpoint(dirpath=cfg.paths.checkpoints, monitor="val_loss", save_last=True)
    trainer = L.Trainer(**cfg.trainer, callbacks=[checkpoint], logger=CSVLogger("logs"))
    # [trainer-end]
    train_loader, val_loader, test_loader = make_loaders(cfg)
    # [resume]
    # "last": model, optimiser and epoch from last.ckpt; without one, a warning and a fresh start.
    trainer.fit(lit, train_loader, val_loader, ckpt_path=cfg.training.resume)
    # [resume-end]
    trainer.test(lit, test_loader)
    if trainer.is_global_zero:  # under DDP every process gets here; one of them writes
        weights = Path(cfg.paths.model)
        weights.parent.mkdir(parents=True, exist_ok=True)
        torch.save(lit.model.state_dict(), weights)  # evaluate and the API load it unchanged
        logger.info("saved weights to %s after %d optimiser steps", weights, trainer.global_step)
        if checkpoint.best_model_path:  # fast_dev_run keeps none by val_loss
            logger.info("best checkpoint by val_loss: %s", checkpoint.best_model_path)
    return trainer
