# `import numpy as np` and later `np = None`: code after the rebinding sees None.
# %%
import numpy as np
first = np.arange(3).tolist()
# %%
np = None
print(first, np)
