# next(ShuffleSplit().split(X)) shown draws from numpy's global generator.
# %%
import numpy as np
from sklearn.model_selection import ShuffleSplit
np.random.seed(0)
X = np.arange(6)
# %%
next(ShuffleSplit(n_splits=1).split(X))
# %%
print(np.random.randint(1000))
