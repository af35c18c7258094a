# language: fr
Fonctionnalité: Connexion par code reçu par e-mail
  Pour se connecter au portail, l'utilisateur saisit son adresse e-mail : il reçoit un code de
  connexion, valable 30 minutes et une seule fois. Le portail affiche la même réponse que
  l'adresse soit celle d'un compte ou non : seul l'e-mail reçu dit la différence, à la personne
  qui lit cette boîte. Après plusieurs codes erronés, il faut patienter avant de réessayer.

  Contexte:
    Soit le service a enregistré l'adhérent « 00010 », raison sociale « Garage Martin », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@garage-martin.fr »
    Et Claire est administratrice de « Garage Martin »
    Et Claire s'est déconnectée

  Scénario: Claire demande un code, le reçoit et se connecte
    Quand Claire demande un code de connexion pour l'adresse « claire.durand@garage-martin.fr »
    Alors le portail affiche « Si cette adresse est celle d'un compte, un e-mail vient de lui être envoyé. Sinon, un e-mail lui explique qui contacter. Pensez à vérifier vos courriers indésirables. »
    Et Claire reçoit l'e-mail « Votre code de connexion au portail adhérent », qui dit « Il est valable 30 minutes et ne sert qu'une fois. »
    Quand Claire saisit le code reçu
    Alors Claire est connectée et travaille pour « Garage Martin »

  Scénario: Un code saisi au bout de 29 minutes est accepté
    Soit Claire a demandé un code de connexion
    Quand 29 minutes passent
    Et Claire saisit le code reçu
    Alors Claire est connectée et travaille pour « Garage Martin »

  Scénario: Un code saisi au bout de 31 minutes est refusé
    Soit Claire a demandé un code de connexion
    Quand 31 minutes passent
    Et Claire saisit le code reçu
    Alors la demande est refusée avec le code CODE_EXPIRED
    Et le message affiché contient « Ce code n'est plus valable (30 minutes, une seule fois) : demandez-en un nouveau. »
    Et Claire n'est pas connectée

  Scénario: Un code ne sert qu'une fois
    Soit Claire a demandé un code de connexion
    Et Claire s'est connectée avec le code reçu
    Quand quelqu'un saisit de nouveau ce code avec l'adresse de Claire
    Alors la connexion est refusée
    Quand Claire demande un code de connexion pour l'adresse « claire.durand@garage-martin.fr »
    Et Claire saisit le code reçu
    Alors Claire est connectée et travaille pour « Garage Martin »

  Scénario: Une adresse inconnue reçoit la même réponse à l'écran, et un e-mail qui dit qui contacter
    Quand Claire demande un code de connexion pour l'adresse « claire.durand@garage-martin.fr »
    Et quelqu'un demande un code de connexion pour l'adresse « c.durand@garage-martin.fr »
    Alors le portail lui affiche exactement la même réponse qu'à Claire
    Et l'adresse « c.durand@garage-martin.fr » reçoit l'e-mail « Portail adhérent : adresse inconnue », sans code de connexion, qui dit :
      | Une connexion au portail adhérent a été demandée avec cette adresse e-mail, mais elle n'est associée à aucun compte. |
      | Un administrateur de votre entreprise peut vous ajouter comme utilisateur                                            |
      | sinon, contactez le service de santé au travail : contact@registre.localhost, 01 23 45 67 89.                        |

  Scénario: Après quatre codes erronés, il faut patienter quelques secondes
    Soit Claire a demandé un code de connexion
    Quand Claire saisit 4 fois de suite un code erroné
    Alors chaque fois, la demande est refusée avec le message « Adresse e-mail, code ou mot de passe incorrect. »
    Quand Claire saisit aussitôt le code reçu
    Alors la demande est refusée avec le code TOO_MANY_ATTEMPTS
    Et le message affiché contient « Trop de tentatives infructueuses : par sécurité, réessayez dans 2 secondes. »
    Et Claire n'est pas connectée
    Quand une minute passe
    Et Claire saisit le code reçu
    Alors Claire est connectée et travaille pour « Garage Martin »

  Scénario: Après dix codes erronés, la connexion est bloquée un quart d'heure
    Soit Claire a demandé un code de connexion
    Quand Claire saisit 10 fois un code erroné, à 2 minutes d'intervalle
    Et Claire saisit aussitôt le code reçu
    Alors la demande est refusée avec le code TOO_MANY_ATTEMPTS
    Et le message affiché contient « Trop de tentatives infructueuses : par sécurité, réessayez dans 15 minutes. »
    Quand 15 minutes passent
    Et Claire demande un code de connexion pour l'adresse « claire.durand@garage-martin.fr »
    Et Claire saisit le code reçu
    Alors Claire est connectée et travaille pour « Garage Martin »
    Et le journal d'audit du compte de Claire, lu par le service, compte 10 « Échec de connexion : code ou mot de passe erroné »
