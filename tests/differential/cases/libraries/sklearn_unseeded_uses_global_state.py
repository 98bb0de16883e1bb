# train_test_split without random_state after np.random.seed: the global state decides the split.
# expect: same
# %%
import numpy as np
from sklearn.model_selection import train_test_split
np.random.seed(12)
X = np.arange(20).reshape(10, 2)
# %% [markdown]
# ## Split
# %%
X_train, X_test = train_test_split(X, test_size=0.3)
print(X_test[:, 0].tolist())
