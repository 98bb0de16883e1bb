# Reading a notebook variable through sys.modules["__main__"].
# %%
import sys
threshold = 5
# %%
print(getattr(sys.modules["__main__"], "threshold", None))
