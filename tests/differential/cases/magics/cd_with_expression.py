# `%cd {folder}` changes directory to a folder named by a variable; files land there.
# %%
import os
folder = "work"
os.makedirs(folder, exist_ok=True)
# %%
%cd {folder}
# %%
with open("here.txt", "w") as handle:
    handle.write(os.path.basename(os.getcwd()))
