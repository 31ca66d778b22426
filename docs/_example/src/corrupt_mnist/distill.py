"""Knowledge distillation: the loss that teaches a small student from a large teacher."""

import torch
import torch.nn.functional as F


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor | None = None,
    temperature: float = 4.0,
    alpha: float = 0.7,
) -> torch.Tensor:
    """Blend the soft-target loss from the teacher with the usual hard-label loss.

    Without labels only the soft term is left: the teacher alone teaches, which is how
    unlabelled images become training signal.
    """
    soft = (
        F.kl_div(
            F.log_softmax(student_logits / temperature, dim=1),
            F.softmax(teacher_logits / temperature, dim=1),
            reduction="batchmean",
        )
        * temperature**2  # keeps the soft gradients on the scale of the hard ones
    )
    if labels is None:
        return soft
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard
