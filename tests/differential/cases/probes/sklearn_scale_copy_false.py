# sklearn.preprocessing.scale(X, copy=False) shown mutates X.
# %%
import numpy as np
from sklearn.preprocessing import scale
X = np.array([[1.0], [3.0]])
# %%
scale(X, copy=False)
# %%
print(X.ravel().tolist())
