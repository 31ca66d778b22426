"""Ten lines to see Streamlit's execution model: the whole script runs again on every change.

Run it with ``streamlit run src/corrupt_mnist/hello_streamlit.py`` (frontend module, exercise 1).
"""

import streamlit as st

print("rerun")  # one terminal line per interaction: nothing is remembered between runs
st.title("Hello Streamlit")
name = st.text_input("Your name", "student")
st.write(f"Hello {name}, welcome to MLOps.")
