# sys.modules["__main__"] gives the notebook namespace as a module.
# %%
import sys
alpha = 10
# %% [markdown]
# ## Look up
# %%
print(getattr(sys.modules["__main__"], "alpha", "missing"))
