# plt.boxplot(..., bootstrap=200) draws random numbers; the values drawn after it must not shift.
# expect: same
# %%
import numpy as np
import matplotlib.pyplot as plt
np.random.seed(1)
data = np.random.rand(30)
# %%
plt.boxplot(data, notch=True, bootstrap=200);
# %%
after = np.random.rand(2)
print(after.round(6))
