# np.set_printoptions via np.core alias path.
# %%
import numpy as np
from numpy import set_printoptions as spo
# %%
spo(precision=2)
# %%
print(np.array([1.23456]))
