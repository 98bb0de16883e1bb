# A one-line cell `cd sub` (automagic, no %) changes directory in the notebook.
# %%
import os
os.makedirs("sub", exist_ok=True)
# %%
cd sub
# %%
open("marker.txt", "w").close()
print(os.path.basename(os.getcwd()))
