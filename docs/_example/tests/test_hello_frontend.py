from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "src" / "corrupt_mnist" / "hello_streamlit.py")


def test_each_change_reruns_the_whole_script(capsys: pytest.CaptureFixture[str]) -> None:
    """The greeting follows the text box, and the terminal shows one line per run."""
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert app.markdown[0].value == "Hello student, welcome to MLOps."
    app.text_input[0].input("Ada").run()
    assert app.markdown[0].value == "Hello Ada, welcome to MLOps."
    assert capsys.readouterr().out.splitlines() == ["rerun", "rerun"]
