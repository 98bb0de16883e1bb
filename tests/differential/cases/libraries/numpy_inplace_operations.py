# numpy in-place operations (+=, [:] =, sort()) across sections.
# expect: same
# %%
import numpy as np
a = np.array([3.0, 1.0, 2.0])
view = a[:2]
# %% [markdown]
# ## Modify
# %%
a += 1
view[:] = 0
a.sort()
# %% [markdown]
# ## Show
# %%
print(a.tolist(), view.tolist())
