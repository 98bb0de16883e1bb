# sklearn.utils.shuffle(X, random_state=rs) shown advances rs.
# %%
import numpy as np
from sklearn.utils import shuffle
rs = np.random.RandomState(0)
# %%
shuffle(np.arange(5), random_state=rs)
# %%
print(rs.randint(1000))
