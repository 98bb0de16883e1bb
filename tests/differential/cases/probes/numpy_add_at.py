# np.add.at mutates its first argument in place.
# %%
import numpy as np
a = np.zeros(3)
# %%
np.add.at(a, [0, 0], 1)
# %%
print(a.tolist())
