# make_classification given a Generator-like RandomState, shown, advances it.
# %%
import numpy as np
from sklearn.datasets import make_blobs
rs = np.random.RandomState(1)
# %%
make_blobs(n_samples=5, random_state=rs)
# %%
print(rs.randint(1000))
