# a.clip(0, 1, a): the method's output array given positionally.
# %%
import numpy as np
a = np.array([-1.0, 2.0])
# %%
a.clip(0, 1, a)
# %%
print(a.tolist())
