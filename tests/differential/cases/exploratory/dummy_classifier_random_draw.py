# DummyClassifier(strategy="stratified").score draws from numpy's global random state; later draws depend on it.
# expect: same
# %%
import numpy as np
from sklearn.dummy import DummyClassifier
np.random.seed(0)
X = np.zeros((20, 1))
y = np.array([0, 1] * 10)
baseline = DummyClassifier(strategy="stratified").fit(X, y)
# %%
baseline.score(X, y)
# %%
noise = np.random.rand(3)
print(noise.round(6))
