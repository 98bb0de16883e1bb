# try/except ImportError around an import, with a fallback binding of the same name.
# %%
try:
    import tomllib as toml_reader
except ImportError:
    toml_reader = None
# %%
print(toml_reader is None or hasattr(toml_reader, "loads"))
