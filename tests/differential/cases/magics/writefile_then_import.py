# `%%writefile mod.py` writes a module at that point; the next cell imports it.
# %%
%%writefile written_mod.py
def answer():
    return 42
# %%
import written_mod
print(written_mod.answer())
