# A numpy Generator object passed through sections; its state advances with each draw.
# expect: same
# %%
import numpy as np
rng = np.random.default_rng(7)
# %% [markdown]
# ## Sample
# %%
sample = rng.integers(0, 100, size=4)
# %% [markdown]
# ## Sample again
# %%
again = rng.integers(0, 100, size=4)
print(sample.tolist(), again.tolist())
