# np.fromiter(gen) shown as a display consumes the generator.
# %%
import numpy as np
gen = (x for x in range(4))
# %%
np.fromiter(gen, dtype=int)
# %%
print(list(gen))
