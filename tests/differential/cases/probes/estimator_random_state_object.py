# A RandomState object given to an estimator's fit in a display advances it.
# %%
import numpy as np
from sklearn.dummy import DummyClassifier
rs = np.random.RandomState(0)
X = np.zeros((4, 1)); y = [0, 1, 0, 1]
clf = DummyClassifier(strategy="uniform", random_state=rs).fit(X, y)
# %%
clf.predict(X)
# %%
print(rs.randint(1000))
