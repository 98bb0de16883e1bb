# df.sample(2) without random_state uses numpy's global generator; removing it shifts later draws.
# expect: same
# %%
import numpy as np
import pandas as pd
np.random.seed(3)
df = pd.DataFrame({"v": range(10)})
# %%
df.sample(2)
# %%
print(np.random.randint(0, 100, size=3).tolist())
