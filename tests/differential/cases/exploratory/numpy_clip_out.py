# np.clip(..., out=a) changes `a` in place although its result is only displayed.
# expect: same
# %%
import numpy as np
a = np.array([-1.5, 0.25, 3.0])
# %% [markdown]
# ## Clip
# %%
np.clip(a, 0, 1, out=a)
# %% [markdown]
# ## Use
# %%
print(a.sum())
