extensions = ["myst_parser", "mlops_handbook"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_data"]
mermaid_output_format = "svg"
mermaid_cmd = "mmdr"
