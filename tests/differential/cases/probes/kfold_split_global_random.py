# list(KFold(shuffle=True).split(X)) shown draws from numpy's global generator.
# %%
import numpy as np
from sklearn.model_selection import KFold
np.random.seed(0)
kf = KFold(n_splits=2, shuffle=True)
X = np.arange(6)
# %%
list(kf.split(X))
# %%
print(np.random.randint(1000))
