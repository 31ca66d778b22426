"""Load test of the BentoML digit classifier (the ML deployment module, serving on a GPU).

`locust -f tests/performance/locust_bento_mnist.py --host http://127.0.0.1:3000` against
`bentoml serve service:MnistClassifier`: exercise 12's load test with an image instead of a flower.
"""

from locust import HttpUser, between, task

# A batch of one (1, 28, 28) image: BentoML stacks the requests along the first axis.
ONE_IMAGE = [[[[0.0] * 28] * 28]]


class MnistBentoUser(HttpUser):
    """One client that sends one image at a time, so that the GPU gets batches only by BentoML."""

    # Short waits, as in locust_bento.py: requests from different users arrive close together.
    wait_time = between(0.1, 0.5)

    @task
    def predict(self) -> None:
        """Post one blank image under the name of MnistClassifier.predict's parameter."""
        self.client.post("/predict", json={"images": ONE_IMAGE})
