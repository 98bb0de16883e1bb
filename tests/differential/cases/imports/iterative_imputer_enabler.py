# `from sklearn.experimental import enable_iterative_imputer` is needed for its side effect only.
# expect: same
# %%
from sklearn.experimental import enable_iterative_imputer
from sklearn.impute import IterativeImputer
import numpy as np
# %%
imputed = IterativeImputer(random_state=0).fit_transform(np.array([[1.0, 2.0], [np.nan, 4.0], [3.0, 6.0]]))
print(imputed.round(3).tolist())
