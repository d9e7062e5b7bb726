; Windows installer of 不打烊 Budayang, built on Debian with makensis
; (`make windows-installer`, which defines VERSION, VERSION4, EXE and
; OUTFILE from wails.json and the cross-compiled build/bin/budayang.exe).
;
; Per machine under Program Files; Start-menu and desktop shortcuts; a page
; asking the computer's role in the centre:
;   hall host            budayang.exe --watchdog --listen 0.0.0.0:8470
;                        + Windows Firewall rule for TCP 8470 from the local
;                          subnet, + start at logon (HKLM Run), restarted by
;                          the watchdog if it dies
;   window of a hall     budayang.exe --hall <join code from the host>
;   standalone room      budayang.exe
; The role is kept in the shortcuts' arguments (and HKLM\Software\Budayang
; for the next install). The uninstaller keeps the data directory
; (%APPDATA%\budayang) unless 删除数据 is ticked. A missing WebView2 runtime
; is installed from MicrosoftEdgeWebView2RuntimeInstallerX64.exe beside the
; installer, or named in a message: nothing is downloaded.
;
; Silent install: budayang-setup.exe /S [/ROLE=host|window|standalone] [/JOIN=code]

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include MUI2.nsh
!include LogicLib.nsh
!include nsDialogs.nsh
!include FileFunc.nsh
!include x64.nsh

!define PRODUCT "不打烊"
!define PUBLISHER "Budayang"
!define REGKEY "Software\Budayang"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Budayang"
!define RUNKEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define PORT 8470
!define FWRULE "Budayang hall host (TCP ${PORT})"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_OFFLINE "MicrosoftEdgeWebView2RuntimeInstallerX64.exe"
!define HOST_ARGS "--watchdog --listen 0.0.0.0:${PORT}"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Budayang"
InstallDirRegKey HKLM "${REGKEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "不打烊 · 便民服务工作台"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileDescription" "不打烊 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "现在启动不打烊"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchProgram
!define MUI_UNCOMPONENTSPAGE_TEXT_TOP "程序文件将被删除。数据（办件、号票、备份与密钥）默认保留，重新安装后仍可使用；只有勾选“删除数据”才会删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom RolePage RolePageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Var Role        ; host | window | standalone
Var JoinCode
Var Args        ; the shortcuts' arguments for the role
Var RadioHost
Var RadioWindow
Var RadioStandalone
Var JoinField

Function .onInit
	${IfNot} ${RunningX64}
		MessageBox MB_OK|MB_ICONSTOP "不打烊需要 64 位的 Windows 10 或更新版本。"
		Abort
	${EndIf}
	SetRegView 64
	ReadRegStr $Role HKLM "${REGKEY}" "Role"
	ReadRegStr $JoinCode HKLM "${REGKEY}" "JoinCode"
	${If} $Role == ""
		StrCpy $Role "host"
	${EndIf}
	${GetParameters} $0
	ClearErrors
	${GetOptions} $0 "/ROLE=" $1
	${IfNot} ${Errors}
		StrCpy $Role $1
	${EndIf}
	ClearErrors
	${GetOptions} $0 "/JOIN=" $1
	${IfNot} ${Errors}
		StrCpy $JoinCode $1
	${EndIf}
	${If} $Role != "host"
	${AndIf} $Role != "window"
	${AndIf} $Role != "standalone"
		MessageBox MB_OK|MB_ICONSTOP "/ROLE 只能是 host、window 或 standalone。" /SD IDOK
		Abort
	${EndIf}
	${If} ${Silent}
	${AndIf} $Role == "window"
	${AndIf} $JoinCode == ""
		Abort
	${EndIf}
FunctionEnd

Function RolePage
	!insertmacro MUI_HEADER_TEXT "这台电脑的角色" "一个服务中心只有一台大厅主机；其他电脑是它的窗口"
	nsDialogs::Create 1018
	Pop $0
	${NSD_CreateLabel} 0 0 100% 12u "请选择这台电脑在服务中心的用途："
	Pop $0
	${NSD_CreateRadioButton} 0 16u 100% 12u "大厅主机"
	Pop $RadioHost
	${NSD_CreateLabel} 12u 29u -12u 20u "数据保存在这台电脑上。开机登录后自动启动，意外退出会自动重启；Windows 防火墙将为局域网打开端口 ${PORT}，供窗口、取号机、显示屏和评价器连接。"
	Pop $0
	${NSD_CreateRadioButton} 0 52u 100% 12u "大厅的窗口"
	Pop $RadioWindow
	${NSD_CreateLabel} 12u 65u -12u 10u "连接大厅主机。请输入主机上 设置 → 窗口加入码 显示的加入码（24 小时内有效）："
	Pop $0
	${NSD_CreateText} 12u 77u -12u 12u $JoinCode
	Pop $JoinField
	${NSD_CreateRadioButton} 0 96u 100% 12u "独立的村便民服务室"
	Pop $RadioStandalone
	${NSD_CreateLabel} 12u 109u -12u 12u "单机使用，不连接其他电脑。"
	Pop $0
	${NSD_OnClick} $RadioHost RoleClicked
	${NSD_OnClick} $RadioWindow RoleClicked
	${NSD_OnClick} $RadioStandalone RoleClicked
	${If} $Role == "window"
		${NSD_Check} $RadioWindow
	${ElseIf} $Role == "standalone"
		${NSD_Check} $RadioStandalone
	${Else}
		${NSD_Check} $RadioHost
	${EndIf}
	Push $RadioHost
	Call RoleClicked
	nsDialogs::Show
FunctionEnd

Function RoleClicked
	Pop $0 ; the clicked control, when called by NSD_OnClick
	${NSD_GetState} $RadioWindow $1
	${If} $1 == ${BST_CHECKED}
		EnableWindow $JoinField 1
	${Else}
		EnableWindow $JoinField 0
	${EndIf}
FunctionEnd

Function RolePageLeave
	${NSD_GetText} $JoinField $JoinCode
	${NSD_GetState} $RadioWindow $0
	${NSD_GetState} $RadioStandalone $1
	${If} $0 == ${BST_CHECKED}
		StrCpy $Role "window"
		${If} $JoinCode == ""
			MessageBox MB_OK|MB_ICONEXCLAMATION "请输入加入码：在大厅主机上登录管理员，打开 设置 → 窗口加入码。"
			Abort
		${EndIf}
	${ElseIf} $1 == ${BST_CHECKED}
		StrCpy $Role "standalone"
	${Else}
		StrCpy $Role "host"
	${EndIf}
FunctionEnd

; WebView2Installed sets $0 to 1 when the Evergreen WebView2 runtime is
; installed for the machine or this user.
Function WebView2Installed
	StrCpy $0 0
	ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
	${If} $1 != ""
	${AndIf} $1 != "0.0.0.0"
		StrCpy $0 1
		Return
	${EndIf}
	ReadRegStr $1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
	${If} $1 != ""
	${AndIf} $1 != "0.0.0.0"
		StrCpy $0 1
	${EndIf}
FunctionEnd

Function CheckWebView2
	Call WebView2Installed
	${If} $0 == 1
		Return
	${EndIf}
	${If} ${FileExists} "$EXEDIR\${WEBVIEW2_OFFLINE}"
		DetailPrint "正在安装 WebView2 运行时：$EXEDIR\${WEBVIEW2_OFFLINE}"
		ExecWait '"$EXEDIR\${WEBVIEW2_OFFLINE}" /silent /install' $1
		Call WebView2Installed
		${If} $0 == 1
			Return
		${EndIf}
	${EndIf}
	MessageBox MB_OK|MB_ICONEXCLAMATION "这台电脑缺少 Microsoft Edge WebView2 运行时，不打烊的窗口需要它才能打开。$\r$\n$\r$\n没有网络时，请向县里索取 WebView2 离线安装包 ${WEBVIEW2_OFFLINE}（微软“常青版独立安装程序”x64），把它和本安装程序放在 U 盘的同一文件夹里，再运行本安装程序即可自动安装；也可以直接双击运行它。$\r$\n$\r$\n能上网的电脑可在 https://developer.microsoft.com/microsoft-edge/webview2/ 下载。安装将继续。" /SD IDOK
FunctionEnd

; StopProgram closes a running budayang.exe (the hall host at logon, a
; window left open) so its files can be replaced or removed.
!macro StopProgram
	nsExec::Exec 'taskkill /IM budayang.exe /T'
	Pop $0
	Sleep 2000
	nsExec::Exec 'taskkill /IM budayang.exe /T /F'
	Pop $0
!macroend

Section "program" SecProgram
	SectionIn RO
	SetRegView 64
	SetShellVarContext all
	Call CheckWebView2
	!insertmacro StopProgram
	SetOutPath "$INSTDIR"
	File "/oname=budayang.exe" "${EXE}"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	${If} $Role == "host"
		StrCpy $Args "${HOST_ARGS}"
	${ElseIf} $Role == "window"
		StrCpy $Args '--hall "$JoinCode"'
	${Else}
		StrCpy $Args ""
	${EndIf}
	CreateDirectory "$SMPROGRAMS\${PRODUCT}"
	CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\budayang.exe" $Args "$INSTDIR\budayang.exe" 0
	CreateShortCut "$SMPROGRAMS\${PRODUCT}\卸载${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"
	CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\budayang.exe" $Args "$INSTDIR\budayang.exe" 0

	; Only a hall host listens on the LAN and starts at logon; a reinstall
	; with another role takes both away.
	nsExec::Exec 'netsh advfirewall firewall delete rule name="${FWRULE}"'
	Pop $0
	DeleteRegValue HKLM "${RUNKEY}" "Budayang"
	${If} $Role == "host"
		nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${FWRULE}" dir=in action=allow protocol=TCP localport=${PORT} remoteip=localsubnet profile=any program="$INSTDIR\budayang.exe"'
		Pop $0
		${If} $0 != 0
			DetailPrint "无法添加防火墙规则（netsh 返回 $0）：请在 Windows 防火墙中允许 TCP ${PORT} 入站"
		${EndIf}
		WriteRegStr HKLM "${RUNKEY}" "Budayang" '"$INSTDIR\budayang.exe" ${HOST_ARGS}'
	${EndIf}

	WriteRegStr HKLM "${REGKEY}" "InstallDir" "$INSTDIR"
	WriteRegStr HKLM "${REGKEY}" "Role" "$Role"
	; A window reinstalled later keeps its code: expired, it still opens
	; the host pinned with it (see docs/api.md, --hall).
	WriteRegStr HKLM "${REGKEY}" "JoinCode" "$JoinCode"
	WriteRegStr HKLM "${REGKEY}" "Version" "${VERSION}"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "不打烊 · 便民服务工作台"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\budayang.exe"
	WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Function LaunchProgram
	; Started as the person who installed, not elevated: the data directory
	; is theirs (%APPDATA%\budayang).
	Exec '"$WINDIR\explorer.exe" "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"'
FunctionEnd

Section "un.程序" UnSecProgram
	SectionIn RO
	SetRegView 64
	SetShellVarContext all
	!insertmacro StopProgram
	nsExec::Exec 'netsh advfirewall firewall delete rule name="${FWRULE}"'
	Pop $0
	DeleteRegValue HKLM "${RUNKEY}" "Budayang"
	Delete "$DESKTOP\${PRODUCT}.lnk"
	RMDir /r "$SMPROGRAMS\${PRODUCT}"
	Delete "$INSTDIR\budayang.exe"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	DeleteRegKey HKLM "${UNINSTKEY}"
	DeleteRegKey HKLM "${REGKEY}"
SectionEnd

Section /o "un.删除数据" UnSecData
	; The data directory of the person uninstalling: os.UserConfigDir on
	; Windows is %APPDATA%.
	SetShellVarContext current
	RMDir /r "$APPDATA\budayang"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
	!insertmacro MUI_DESCRIPTION_TEXT ${UnSecProgram} "删除不打烊的程序文件、快捷方式、开机启动和防火墙规则。"
	!insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "同时删除本用户的数据目录 %APPDATA%\budayang：所有办件、号票、评价、备份和密钥，无法恢复。迁移到新电脑前请先备份。"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
