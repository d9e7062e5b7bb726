package cli

import (
	"errors"
	"fmt"
	"os"

	"budayang/backend/apperr"
	"budayang/backend/dirlock"
	"budayang/backend/secret"
)

// runKey runs `budayang key export|import`: carrying a site's field key to
// a new computer, where the key file (DPAPI-bound on Windows) or the keyring
// entry does not follow the database.
func runKey(args []string, env Env) error {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return runKeyExport(args[1:], env)
		case "import":
			return runKeyImport(args[1:], env)
		}
	}
	return apperr.Errorf(apperr.Invalid, "用法：budayang key export --out FILE [--data DIR] 或 budayang key import --in FILE [--data DIR]，口令取自 BUDAYANG_KEY_PASSPHRASE")
}

func keyPassphrase(env Env) (string, error) {
	p := env.Getenv("BUDAYANG_KEY_PASSPHRASE")
	if p == "" {
		return "", apperr.Errorf(apperr.Invalid, "请在环境变量 BUDAYANG_KEY_PASSPHRASE 中提供密钥导出口令（至少 %d 个字符）；口令不要与导出文件放在一起", secret.MinPassphrase)
	}
	return p, secret.CheckPassphrase(p)
}

// runKeyExport writes the data directory's key, sealed under the
// passphrase, to a new file. It only reads the key, so it runs beside a
// running program and takes no lock.
func runKeyExport(args []string, env Env) error {
	fs, data := newFlags("key export", env)
	out := fs.String("out", "", "export file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --out（密钥导出文件路径）")
	}
	passphrase, err := keyPassphrase(env)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*data); err != nil {
		return apperr.Errorf(apperr.NotFound, "数据目录 %s 不存在", *data)
	}
	file, fp, err := secret.Export(secret.DefaultStore(*data), passphrase)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return apperr.Errorf(apperr.Conflict, "文件 %s 已存在，不会覆盖；请换一个文件名", *out)
	}
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "无法写入 %s：%v", *out, err)
	}
	_, err = f.Write(file)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return apperr.Errorf(apperr.Invalid, "无法写入 %s：%v", *out, err)
	}
	fmt.Fprintf(env.Stdout, "已将个人信息加密密钥（指纹 %s）导出到 %s；口令请另行保管，不要与此文件放在一起\n", fp, *out)
	return nil
}

// runKeyImport keeps the key in an export file as the data directory's
// key, holding the directory so no program starts meanwhile and makes a key
// of its own.
func runKeyImport(args []string, env Env) error {
	fs, data := newFlags("key import", env)
	in := fs.String("in", "", "export file to read")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --in（密钥导出文件路径）")
	}
	passphrase, err := keyPassphrase(env)
	if err != nil {
		return err
	}
	file, err := os.ReadFile(*in)
	if err != nil {
		return apperr.Errorf(apperr.NotFound, "无法读取密钥导出文件 %s：%v", *in, err)
	}
	lock, err := dirlock.Acquire(*data)
	if err != nil {
		return err
	}
	defer lock.Release()
	ks := secret.DefaultStore(*data)
	installed, fp, err := secret.Import(ks, file, passphrase)
	if err != nil {
		return err
	}
	if !installed {
		fmt.Fprintf(env.Stdout, "%s 中已是这把密钥（指纹 %s），无需导入\n", *data, fp)
		return nil
	}
	fmt.Fprintf(env.Stdout, "已导入个人信息加密密钥（指纹 %s），保存在 %s\n", fp, ks.Describe())
	return nil
}
