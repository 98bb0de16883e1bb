# default_rng: rng.integers shown advances the generator.
# %%
import numpy as np
rng = np.random.default_rng(0)
# %%
rng.integers(10)
# %%
print(rng.integers(1000))
