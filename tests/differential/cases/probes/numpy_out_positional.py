# np.add(a, 1, a): the output array given positionally.
# %%
import numpy as np
a = np.zeros(3)
# %%
np.add(a, 1, a)
# %%
print(a.tolist())
