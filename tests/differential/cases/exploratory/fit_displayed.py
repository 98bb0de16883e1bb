# A bare model.fit(...) displays the estimator; the fit itself must stay.
# expect: same
# %%
import numpy as np
from sklearn.linear_model import LinearRegression
X = np.array([[0.0], [1.0], [2.0]])
y = np.array([1.0, 3.0, 5.0])
model = LinearRegression()
# %%
model.fit(X, y)
# %%
print(model.coef_.round(6).tolist(), round(float(model.intercept_), 6))
