"""Train LitMnistCNN with a learning rate that halves every two epochs, and log it.

The boilerplate module, exercise 10: `python scripts/lit_step_lr.py training.epochs=6` takes
the same Hydra overrides as `corrupt-mnist train-lit` and writes the learning rate of each
epoch as the column `lr-Adam` of logs/step_lr/version_N/metrics.csv.
"""

import sys

import lightning as L
import torch
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.utilities.types import OptimizerLRSchedulerConfig

from corrupt_mnist.config import load_config
from corrupt_mnist.train_lit import LitMnistCNN, make_loaders


class LitMnistCNNStepLR(LitMnistCNN):
    """LitMnistCNN with a schedule: only the optimiser's setup differs, so only it is here."""

    def configure_optimizers(self) -> OptimizerLRSchedulerConfig:
        """Adam as before, plus StepLR; the Trainer steps it at the end of every epoch."""
        optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        schedule = {"scheduler": scheduler, "interval": "epoch"}
        return {"optimizer": optimizer, "lr_scheduler": schedule}


def main(overrides: list[str]) -> None:
    """Fit on the processed data as train-lit does, with the learning rate logged per epoch."""
    cfg = load_config(overrides)
    L.seed_everything(cfg.seed, workers=True)
    lit = LitMnistCNNStepLR(
        channels=cfg.model.channels, dropout=cfg.model.dropout, lr=cfg.training.lr
    )
    monitor = LearningRateMonitor(logging_interval="epoch")
    logger = CSVLogger("logs", name="step_lr")  # beside lightning_logs/, not mixed into it
    trainer = L.Trainer(**cfg.trainer, callbacks=[monitor], logger=logger)
    train_loader, val_loader, _ = make_loaders(cfg)
    trainer.fit(lit, train_loader, val_loader)


if __name__ == "__main__":
    main(sys.argv[1:])
