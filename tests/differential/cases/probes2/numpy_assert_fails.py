# np.testing.assert_allclose failing stops the notebook.
# notebook: fails
# %%
import numpy as np
x = np.array([1.0])
# %%
np.testing.assert_allclose(x, 2.0)
# %%
print("reached")
