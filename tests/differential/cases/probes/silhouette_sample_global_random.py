# silhouette_score with sample_size draws from numpy's global generator.
# %%
import numpy as np
from sklearn.metrics import silhouette_score
np.random.seed(0)
X = np.array([[0.0], [0.1], [5.0], [5.1], [9.0], [9.2]])
labels = [0, 0, 1, 1, 2, 2]
# %%
silhouette_score(X, labels, sample_size=4)
# %%
print(np.random.randint(1000))
