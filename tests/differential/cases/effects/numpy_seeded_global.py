# np.random.seed then draws from the global generator in two sections.
# expect: same
# %%
import numpy as np
np.random.seed(0)
# %% [markdown]
# ## Weights
# %%
weights = np.random.rand(3)
# %% [markdown]
# ## Noise
# %%
noise = np.random.normal(size=2)
print(weights.round(6).tolist(), noise.round(6).tolist())
