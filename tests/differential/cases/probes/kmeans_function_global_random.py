# sklearn.cluster.kmeans_plusplus without random_state draws from numpy's global generator.
# %%
import numpy as np
from sklearn.cluster import kmeans_plusplus
np.random.seed(0)
X = np.array([[0.0], [0.1], [5.0], [5.1]])
# %%
kmeans_plusplus(X, 2)
# %%
print(np.random.randint(1000))
