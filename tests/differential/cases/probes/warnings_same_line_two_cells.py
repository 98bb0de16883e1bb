# The same warning at line 1 of two cells: the registry is keyed by line, so the notebook shows it once.
# %%
import warnings
import sys
warnings.simplefilter("default")
def show(message, category, filename, lineno, file=None, line=None):
    print("W:", message)
warnings.showwarning = show
# %%
warnings.warn("careful")
# %%
warnings.warn("careful")
