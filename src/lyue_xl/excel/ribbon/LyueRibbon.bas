Attribute VB_Name = "LyueRibbon"
' lyue_xl ribbon dispatcher (part of lyue_xl, MIT licence).
'
' Every button of the ribbon tab calls LyueRibbon_OnAction; the button's tag names the action.
' The action runs in the bundled program when it is installed:
'     lyue-xl.exe ribbon <tag>   (xlwings' RunFrozenPython adds --wb, --from_xl, --app, --hwnd)
' found, in this order, at the path of the config key LYUE_XL_EXE (xlwings config: a sheet
' "lyue_xl.conf" in the workbook, lyue_xl.conf beside the workbook, or
' %USERPROFILE%\.lyue_xl\lyue_xl.conf), or at lyue_xl\lyue-xl.exe beside this add-in.
' Otherwise it runs in the Python that xlwings is configured with (INTERPRETER_WIN):
'     import lyue_xl.excel.actions as a; a.run_from_excel('<tag>')
'
' Chinese text is allowed only inside string literals: the build turns it into ChrW() calls,
' because the VBA project stores its source in code page 1252.
Option Explicit

' The ribbon actions (button tags); a test keeps this equal to lyue_xl.commands (ribbon order).
Private Const LYUE_ACTIONS As String = "new check import fix_types refresh manual audit_pack report review_input audit_kit help"
Private Const LYUE_EXE_KEY As String = "LYUE_XL_EXE"
Private Const LYUE_EXE_BESIDE As String = "lyue_xl\lyue-xl.exe"

Public Sub LyueRibbon_OnAction(control As IRibbonControl)
    LyueRunAction control.Tag
End Sub

Public Sub LyueRunAction(ByVal action As String)
    Dim configured As String, exe As String
    If Not LyueIsAction(action) Then
        MsgBox "未知的功能：" & action, vbExclamation, LyueTitle()
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        ' xlwings passes the active workbook to Python: there must be one.
        If action = "new" Or action = "help" Then
            Workbooks.Add
        Else
            MsgBox "请先打开履约管理台账（.xlsx），再点此按钮。", vbInformation, LyueTitle()
            Exit Sub
        End If
    End If
    configured = GetConfig(LYUE_EXE_KEY, "")
    If Len(configured) > 0 And Not FileExists(configured) Then
        MsgBox "找不到 lyue-xl 程序：" & configured & vbCrLf & _
               "请重新运行安装，或在 lyue_xl.conf 中更正 LYUE_XL_EXE。", vbExclamation, LyueTitle()
        Exit Sub
    End If
    exe = LyueExePath()
    If Len(exe) > 0 Then
        RunFrozenPython exe, "ribbon " & action
    Else
        RunPython "import lyue_xl.excel.actions as a; a.run_from_excel('" & action & "')"
    End If
End Sub

' The bundled program to run, or "" when Python is to be used.
Public Function LyueExePath() As String
    Dim candidate As String
    candidate = GetConfig(LYUE_EXE_KEY, "")
    If Len(candidate) = 0 Then candidate = ThisWorkbook.Path & "\" & LYUE_EXE_BESIDE
    If FileExists(candidate) Then LyueExePath = candidate
End Function

Public Function LyueIsAction(ByVal action As String) As Boolean
    Dim tags As Variant, i As Long
    tags = Split(LYUE_ACTIONS, " ")
    For i = LBound(tags) To UBound(tags)
        If tags(i) = action Then
            LyueIsAction = True
            Exit Function
        End If
    Next i
End Function

Public Function LyueTitle() As String
    LyueTitle = "履约管理"
End Function

' Pure-VBA self-test (no Excel objects), run by the LibreOffice test of the built add-in.
Public Function LyueSelfTest() As String
    Dim tags As Variant, i As Long, count As Long
    tags = Split(LYUE_ACTIONS, " ")
    For i = LBound(tags) To UBound(tags)
        If LyueIsAction(CStr(tags(i))) Then count = count + 1
    Next i
    If LyueIsAction("format_c") Then count = -1
    LyueSelfTest = "lyue_xl ribbon ok: " & count & " actions"
End Function
