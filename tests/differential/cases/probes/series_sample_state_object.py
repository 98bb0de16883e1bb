# Series.sample(random_state=rs) shown advances the RandomState object.
# %%
import numpy as np
import pandas as pd
rs = np.random.RandomState(0)
s = pd.Series(range(10))
# %%
s.sample(3, random_state=rs)
# %%
print(rs.randint(1000))
