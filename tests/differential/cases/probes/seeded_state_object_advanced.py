# train_test_split given a RandomState object, shown as a display, advances that object.
# %%
import numpy as np
from sklearn.model_selection import train_test_split
rs = np.random.RandomState(0)
X = np.arange(10)
# %%
train_test_split(X, random_state=rs)
# %%
print(rs.randint(1000))
