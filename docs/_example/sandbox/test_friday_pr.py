import torch
from torch import nn

from friday_pr import accuracy, evaluate, make_digits, read_class, split, train


class ReadsTheStripe(nn.Module):
    """A perfect model for the made-up digits: it reads the stripe."""

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return nn.functional.one_hot(read_class(images), num_classes=10).float()


def test_a_perfect_model_scores_one():
    images, targets = make_digits(600)
    assert accuracy(ReadsTheStripe(), images, targets) == 1.0


# [regression-tests]
def test_split_keeps_labels_with_their_images():
    (train_x, train_y), (val_x, val_y) = split(*make_digits(500))
    assert (read_class(train_x) == train_y).all()
    assert (read_class(val_x) == val_y).all()


def test_evaluate_reads_what_train_writes(tmp_path):
    checkpoint = str(tmp_path / "checkpoint.pt")
    train(epochs=1, checkpoint=checkpoint)
    assert evaluate(checkpoint) > 0.9


def test_loss_can_approach_zero(tmp_path):
    assert train(epochs=2, checkpoint=str(tmp_path / "checkpoint.pt")) < 0.5
